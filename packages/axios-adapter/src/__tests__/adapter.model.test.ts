import { describeAdapterModel } from '@authmachine/test-kit';
import { axiosDriver } from './support/axiosDriver.js';

// Every state and transition of authMachine, through attachAuth on an axios instance.
describeAdapterModel(axiosDriver);
