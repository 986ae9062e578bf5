// Entry point for the CDK CLI (cdk.json: `npx tsx infra/app.ts`); everything is built in app-builder.ts.
import { buildApp } from './app-builder.ts';

buildApp().app.synth();
