import { describeAdapterModel } from '@authmachine/test-kit';
import { fetchDriver } from './support/fetchDriver.js';

// Every state and transition of authMachine, through createAuthFetch.
describeAdapterModel(fetchDriver);
