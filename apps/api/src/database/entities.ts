import { SystemInstanceEntity } from '../modules/system/entities/system-instance.entity';

/** Every entity of the app: the data source, the migration generator and the drift check read this list. */
export const ENTITIES = [SystemInstanceEntity];
