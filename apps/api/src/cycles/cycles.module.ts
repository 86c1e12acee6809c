import { Module } from '@nestjs/common';
import { CycleCommands } from './cycles.commands';
import { CyclesResolver } from './cycles.resolver';

/** Yearly cycles: opened and their deadlines moved by administrators. */
@Module({ providers: [CycleCommands, CyclesResolver] })
export class CyclesModule {}
