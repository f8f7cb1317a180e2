import { SystemInstanceEntity } from './system-instance.entity';

/** The tables the system module owns (database/entities.ts gathers every module's list). */
export const SYSTEM_ENTITIES = [SystemInstanceEntity];
