import { defineConfig } from 'vitepress';

// Workspace packages resolve to their TypeScript source (the `@authmachine/source` export
// condition): the simulator runs the library as it is in this commit, with nothing built first.
export default defineConfig({
  title: 'authmachine',
  description:
    'Keeps a user session alive: one refresh, queued requests, a clean logout. An XState machine you can see.',
  cleanUrls: false,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  vite: {
    resolve: { conditions: ['@authmachine/source', 'module', 'browser', 'development|production'] },
    ssr: { resolve: { conditions: ['@authmachine/source', 'module', 'node', 'development|production'] } },
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/getting-started' },
      { text: 'The machine', link: '/machine' },
      { text: 'API', link: '/api/core' },
    ],
    sidebar: [
      {
        text: 'Introduction',
        items: [
          { text: 'Why authmachine', link: '/why' },
          { text: 'Getting started', link: '/getting-started' },
          { text: 'The machine (live)', link: '/machine' },
        ],
      },
      {
        text: 'Guides',
        items: [
          { text: 'Axios adapter', link: '/guide/axios' },
          { text: 'fetch, ky, ofetch, openapi-fetch', link: '/guide/fetch' },
          { text: 'React adapter', link: '/guide/react' },
          { text: 'TanStack Query', link: '/guide/tanstack-query' },
          { text: 'Server rendering (Next.js)', link: '/guide/ssr' },
          { text: 'Storage and security', link: '/guide/storage-security' },
          { text: 'Cross-tab sessions', link: '/guide/cross-tab' },
          { text: 'Real devices: sleep, skew, offline', link: '/guide/devices' },
          { text: 'Server requirements', link: '/guide/server' },
          { text: 'Keycloak, Auth0, any OAuth server', link: '/guide/oauth-servers' },
          { text: 'Testing your app', link: '/guide/testing' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: '@authmachine/core', link: '/api/core' },
          { text: '@authmachine/axios', link: '/api/axios' },
          { text: '@authmachine/fetch', link: '/api/fetch' },
          { text: '@authmachine/react', link: '/api/react' },
          { text: 'Comparison', link: '/comparison' },
          { text: 'Benchmarks', link: '/benchmarks' },
        ],
      },
    ],
  },
});
