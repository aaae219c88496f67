import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import { defineAsyncComponent } from 'vue';

export const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    // Loaded by the machine page only: the session, both adapters, axios and XState stay out of the
    // code every other page of the site downloads.
    app.component(
      'MachineSimulator',
      defineAsyncComponent(() => import('./MachineSimulator.vue')),
    );
  },
};

// VitePress loads the theme from this file's default export.
export default theme;
