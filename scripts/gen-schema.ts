// Writes schema/gradscope.nn.schema.json from the config tables (`npx tsx scripts/gen-schema.ts`). A unit test
// fails when the committed file and the tables disagree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configSchemaText } from '../src/core/config/configSchema';

const target = path.join(__dirname, '..', 'schema', 'gradscope.nn.schema.json');
fs.writeFileSync(target, configSchemaText());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
