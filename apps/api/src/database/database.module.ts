import { Global, Module } from '@nestjs/common';
import { DatabaseProbe } from './database-probe.repository';
import { Transactions } from './transactions';

/** The transaction context every repository joins, and the probes' view of the database (infrastructure, global). */
@Global()
@Module({ providers: [Transactions, DatabaseProbe], exports: [Transactions, DatabaseProbe] })
export class DatabaseModule {}
