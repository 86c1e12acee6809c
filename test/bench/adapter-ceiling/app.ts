import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule, Query, Resolver } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { FastifyAdapter } from '@nestjs/platform-fastify';

@Resolver()
class Hello {
  @Query(() => String)
  hello(): string {
    return 'hi';
  }
}

@Module({
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      autoSchemaFile: true,
      playground: false,
    }),
  ],
  providers: [Hello],
})
class HelloModule {}

/** A trivial Nest + Apollo app on the adapter named in argv[2], listening on argv[3]. */
async function main(): Promise<void> {
  const [adapter, port] = process.argv.slice(2);
  let app: INestApplication;
  if (adapter === 'fastify') {
    app = await NestFactory.create(HelloModule, new FastifyAdapter(), { logger: false });
  } else {
    // Optional: installed only to run this comparison (see run.ts), so not imported statically.
    const name = '@nestjs/platform-express';
    const { ExpressAdapter } = await import(name);
    app = await NestFactory.create(HelloModule, new ExpressAdapter(), { logger: false });
  }
  await app.listen(Number(port), '127.0.0.1');
  console.log('ready');
}

void main();
