import type { MigrationInterface } from 'typeorm';
import { Initial1795462142135 } from './1795462142135-Initial';
import { Identity1795608402570 } from './1795608402570-Identity';
import { TwoFactorAndApiTokens1795609147571 } from './1795609147571-TwoFactorAndApiTokens';
import { Authorization1795609600857 } from './1795609600857-Authorization';
import { SeedSystemRoles1795609600858 } from './1795609600858-SeedSystemRoles';
import { AvatarKeyIndex1795612092757 } from './1795612092757-AvatarKeyIndex';
import { EventOutbox1795964425397 } from './1795964425397-EventOutbox';
import { SignInLockout1795966753936 } from './1795966753936-SignInLockout';
import { RefreshSuccessor1795966887212 } from './1795966887212-RefreshSuccessor';
import { JobOutbox1795967560138 } from './1795967560138-JobOutbox';
import { SignInFailures1795974181744 } from './1795974181744-SignInFailures';
import { LastSignedIn1795976067278 } from './1795976067278-LastSignedIn';
import { SiteName1795976708470 } from './1795976708470-SiteName';
import { AccountChanges1795979537334 } from './1795979537334-AccountChanges';
import { Posts1795987203665 } from './1795987203665-Posts';
import { PostRevisions1795990125641 } from './1795990125641-PostRevisions';
import { Taxonomy1796001388396 } from './1796001388396-Taxonomy';
import { PostSearch1796002083017 } from './1796002083017-PostSearch';
import { Comments1796002586638 } from './1796002586638-Comments';
import { PostViewBatches1796011505195 } from './1796011505195-PostViewBatches';
import { MediaLibrary1796012270402 } from './1796012270402-MediaLibrary';
import { DataExports1796012808014 } from './1796012808014-DataExports';
import { UsersCreatedAtIndex1796024493129 } from './1796024493129-UsersCreatedAtIndex';
import { SearchWordPairs1796031000000 } from './1796031000000-SearchWordPairs';
import { CommentAuthorNotified1796040000000 } from './1796040000000-CommentAuthorNotified';
import { SearchWordPairsLinear1796050000000 } from './1796050000000-SearchWordPairsLinear';

type MigrationClass = new () => MigrationInterface;

/** Every migration, oldest first. `npm run db:migration:generate -- <Name>` writes a new file and registers it here. */
export const MIGRATIONS: MigrationClass[] = [
  Initial1795462142135,
  Identity1795608402570,
  TwoFactorAndApiTokens1795609147571,
  Authorization1795609600857,
  SeedSystemRoles1795609600858,
  AvatarKeyIndex1795612092757,
  EventOutbox1795964425397,
  SignInLockout1795966753936,
  RefreshSuccessor1795966887212,
  JobOutbox1795967560138,
  SignInFailures1795974181744,
  LastSignedIn1795976067278,
  SiteName1795976708470,
  AccountChanges1795979537334,
  Posts1795987203665,
  PostRevisions1795990125641,
  Taxonomy1796001388396,
  PostSearch1796002083017,
  Comments1796002586638,
  PostViewBatches1796011505195,
  MediaLibrary1796012270402,
  DataExports1796012808014,
  UsersCreatedAtIndex1796024493129,
  SearchWordPairs1796031000000,
  CommentAuthorNotified1796040000000,
  SearchWordPairsLinear1796050000000,
];
