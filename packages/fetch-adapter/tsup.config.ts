import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.config.base.js';

export default defineConfig(libraryBuild);
