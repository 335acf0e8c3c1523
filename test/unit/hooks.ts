// Mocha root hooks for the unit tests (loaded through .mocharc.json's `require`): what every test shares.
import { removeTestDirs } from './helpers';

export const mochaHooks = {
  afterEach(): void {
    removeTestDirs();
  },
};
