import { describeAdapterSuite } from '@authmachine/test-kit';
import { axiosDriver } from './support/axiosDriver.js';

// The behaviour every adapter of a session shares, through attachAuth on an axios instance.
describeAdapterSuite(axiosDriver);
