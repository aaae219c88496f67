import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import MachineSimulator from './MachineSimulator.vue';

export const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('MachineSimulator', MachineSimulator);
  },
};

// VitePress loads the theme from this file's default export.
export default theme;
