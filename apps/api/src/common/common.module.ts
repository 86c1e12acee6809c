import { Global, Module } from '@nestjs/common';
import { ReadYourWrites } from './read-your-writes';

/** What every slice uses alike: waiting for its own writes to show. */
@Global()
@Module({ providers: [ReadYourWrites], exports: [ReadYourWrites] })
export class CommonModule {}
