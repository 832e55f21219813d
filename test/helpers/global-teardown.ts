export default async function globalTeardown(): Promise<void> {
  const steps = globalThis.__borderlineTeardown ?? [];
  for (const step of steps.reverse()) await step();
}
