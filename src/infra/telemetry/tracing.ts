// OpenTelemetry tracing (OTEL_TRACING=true). Loaded only when tracing is on: nothing here, nor
// any @opentelemetry package, is required otherwise (see ./index.ts).
import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ClientInterceptors, WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Attribute carrying the API's request id (x-request-id) on HTTP and workflow-start spans. */
export const REQUEST_ID_ATTRIBUTE = 'borderline.request_id';

const REQUEST_ID = createContextKey('borderline.request_id');

export interface TracingOptions {
  /** service.name of the spans (borderline-api, borderline-worker, borderline-dev). */
  serviceName: string;
  /** Base URL of an OTLP/HTTP collector; spans are posted (JSON) to <endpoint>/v1/traces. */
  endpoint?: string;
  /** Instead of OTLP: where spans go (tests pass an InMemorySpanExporter). */
  exporter?: SpanExporter;
  /** Instead of a batch processor over `exporter` (tests pass a SimpleSpanProcessor). */
  spanProcessor?: SpanProcessor;
}

export interface Tracing {
  /** Client interceptors: the workflow start span, its context passed to the workflow in headers. */
  clientInterceptors: ClientInterceptors;
  /**
   * Worker options: workflow interceptors (bundled with the workflows: spans for the workflow
   * and the activities it schedules), activity interceptors (a span per activity attempt) and
   * the sink that exports the workflow's spans.
   */
  worker: {
    workflowModules: string[];
    activity: NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']>;
    sinks: NonNullable<WorkerOptions['sinks']>;
  };
  /** A SERVER span per HTTP request (W3C traceparent honoured), active while its handler runs. */
  instrumentHttp(app: FastifyInstance): void;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** Starts tracing for the process: registers the global tracer provider and context manager. */
export function startTracing(options: TracingOptions): Tracing {
  const resource = new Resource({ 'service.name': options.serviceName });
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({
      url: `${(options.endpoint ?? 'http://127.0.0.1:4318').replace(/\/+$/, '')}/v1/traces`,
    });
  const processor = options.spanProcessor ?? new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  const tracer = trace.getTracer('borderline');

  return {
    clientInterceptors: {
      workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer }), new RequestIdClientInterceptor()],
    },
    worker: {
      workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    },
    instrumentHttp(app) {
      const contexts = new WeakMap<FastifyRequest, { span: Span; ctx: Context }>();
      app.addHook('onRequest', (request, _reply, done) => {
        const parent = propagation.extract(ROOT_CONTEXT, request.headers);
        const span = tracer.startSpan(
          `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
          {
            kind: SpanKind.SERVER,
            attributes: {
              'http.request.method': request.method,
              ...(request.routeOptions.url ? { 'http.route': request.routeOptions.url } : {}),
              [REQUEST_ID_ATTRIBUTE]: request.id,
            },
          },
          parent,
        );
        const ctx = trace.setSpan(parent, span).setValue(REQUEST_ID, request.id);
        contexts.set(request, { span, ctx });
        context.with(ctx, done);
      });
      // The body is parsed between onRequest and preHandler, outside that context: enter it
      // again, so that the route's hooks and handler (and the workflow start) run inside.
      app.addHook('preHandler', (request, _reply, done) => {
        const entry = contexts.get(request);
        if (entry) context.with(entry.ctx, done);
        else done();
      });
      app.addHook('onResponse', async (request, reply) => {
        const entry = contexts.get(request);
        if (!entry) return;
        contexts.delete(request);
        entry.span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
        entry.span.end();
      });
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}

/**
 * Runs inside the OpenTelemetry client interceptor (listed after it), so the active span is
 * the workflow start's: it gets the HTTP request's id.
 */
class RequestIdClientInterceptor implements WorkflowClientInterceptor {
  start: NonNullable<WorkflowClientInterceptor['start']> = (input, next) => {
    tagRequestId();
    return next(input);
  };
  startWithDetails: NonNullable<WorkflowClientInterceptor['startWithDetails']> = (input, next) => {
    tagRequestId();
    return next(input);
  };
  signal: NonNullable<WorkflowClientInterceptor['signal']> = (input, next) => {
    tagRequestId();
    return next(input);
  };
  startUpdate: NonNullable<WorkflowClientInterceptor['startUpdate']> = (input, next) => {
    tagRequestId();
    return next(input);
  };
}

function tagRequestId(): void {
  const id = context.active().getValue(REQUEST_ID);
  if (typeof id === 'string') trace.getActiveSpan()?.setAttribute(REQUEST_ID_ATTRIBUTE, id);
}
