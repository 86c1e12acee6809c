import { Module } from '@nestjs/common';
import { RegistryResolver } from './registry.resolver';

/** The register of districts and departments. */
@Module({ providers: [RegistryResolver] })
export class RegistryModule {}
