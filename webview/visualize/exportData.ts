// The report's downloads use the host's CSV writer, so both give the same file.
export { recordedRunToCsv } from '../../src/visualize/snapshotTable';
