import { Module } from '@nestjs/common';
import { RegistryCommands } from './registry.commands';
import { RegistryQueries } from './registry.queries';
import { RegistryResolver } from './registry.resolver';

/** The register of districts and departments: registrations with read-your-writes, and scoped lists. */
@Module({ providers: [RegistryCommands, RegistryQueries, RegistryResolver] })
export class RegistryModule {}
