import { Module } from '@nestjs/common';
import { CyclesResolver } from './cycles.resolver';

/** Yearly cycles: opened and their deadlines moved by administrators. */
@Module({ providers: [CyclesResolver] })
export class CyclesModule {}
