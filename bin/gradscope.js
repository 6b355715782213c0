#!/usr/bin/env node
'use strict';
// The `gradscope` command line: the bundled CLI over the core (built by `npm run build`).
require('../dist/cli.js');
