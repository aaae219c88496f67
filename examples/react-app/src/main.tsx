import { AuthProvider } from '@authmachine/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { readAppConfig } from './appConfig.js';
import { createAuthClient } from './authClient.js';
import { ApiContext } from './authClientContext.js';

const config = readAppConfig(window.location);
const { session, api } = createAuthClient(config);
const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <AuthProvider session={session}>
      <ApiContext.Provider value={api}>
        <App crossTab={config.crossTab} />
      </ApiContext.Provider>
    </AuthProvider>
  </StrictMode>,
);
