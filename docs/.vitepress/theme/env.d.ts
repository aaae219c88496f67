declare module '*.vue' {
  import type { DefineComponent } from 'vue';

  const component: DefineComponent;
  export default component;
}

declare module '*.mmd?raw' {
  const source: string;
  export default source;
}
