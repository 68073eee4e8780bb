import { conformanceOn } from './suite.js';

conformanceOn('node:wasi');
