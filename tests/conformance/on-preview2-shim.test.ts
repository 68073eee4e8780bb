import { conformanceOn } from './suite.js';

conformanceOn('jco+preview2-shim');
