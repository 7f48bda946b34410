// Runs before every test file (vitest setupFiles): directories made outside a test go when the file is done.
import { afterAll } from 'vitest';
import { removeFileTempDirs } from './temp.js';

afterAll(removeFileTempDirs);
