import { v7 as uuidv7 } from 'uuid';

/** A new time-ordered UUIDv7: ids are generated in the app, which also keeps B-tree inserts local. */
export const newId = (): string => uuidv7();
