import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Authenticator } from './authenticator';
import { SessionController } from './session.controller';

/** Who is calling, for every transport (HTTP, WebSocket, downloads), and the console's sign-in routes. */
@Global()
@Module({
  providers: [
    {
      provide: Authenticator,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new Authenticator(config.tokens, config.auth),
    },
  ],
  controllers: [SessionController],
  exports: [Authenticator],
})
export class AuthModule {}
