import { createMemoryStore } from './memory-store';
import { describeLabStoreContract } from './store-contract';

describeLabStoreContract('memory', (deps) => createMemoryStore(deps));
