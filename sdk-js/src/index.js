import { boot } from './otq.js';

boot(window, document);
