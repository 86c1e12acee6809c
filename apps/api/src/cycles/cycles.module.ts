import { Module } from '@nestjs/common';
import { CycleCommands } from './cycles.commands';
import { CycleQueries } from './cycles.queries';
import { CyclesResolver } from './cycles.resolver';

/** Yearly cycles: opened and their deadlines moved by administrators, read by whoever reviews the district. */
@Module({ providers: [CycleCommands, CycleQueries, CyclesResolver] })
export class CyclesModule {}
