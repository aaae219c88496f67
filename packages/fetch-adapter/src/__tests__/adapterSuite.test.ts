import { describeAdapterSuite } from '@authmachine/test-kit';
import { fetchDriver } from './support/fetchDriver.js';

// The behaviour every adapter of a session shares, through createAuthFetch.
describeAdapterSuite(fetchDriver);
