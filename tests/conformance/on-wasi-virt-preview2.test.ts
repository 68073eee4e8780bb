import { conformanceOn } from './suite.js';

conformanceOn('wasi-virt run (preview2)');
