import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { BullMQOtel } from "bullmq-otel";
import type { Config } from "../config/index.js";
import { errorMessage } from "../errors.js";
import type { Redactor } from "../security/redact.js";

/**
 * OpenTelemetry traces, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans go as OTLP/HTTP JSON
 * to <endpoint>/v1/traces. The provider is registered globally once per process (BullMQ's telemetry
 * hook, `bullmq-otel`, uses the global API to carry the trace context from the web role's enqueue
 * through Redis to the worker's job). Off, the tracer is OpenTelemetry's no-op one and queues get no
 * telemetry option, so nothing is recorded or sent.
 */
export interface Tracing {
  tracer: Tracer;
  /** BullMQ's `telemetry` option for queues and workers (undefined when tracing is off). */
  queue: BullMQOtel | undefined;
  /** Sends the spans ended so far. */
  flush(): Promise<void>;
}

const tracerName = "coworker";
let active: { endpoint: string; tracing: Tracing } | undefined;

export function startTracing(settings: Config["telemetry"]): Tracing {
  const { endpoint } = settings;
  if (!endpoint) return { tracer: trace.getTracer(tracerName), queue: undefined, flush: async () => {} };
  if (active?.endpoint === endpoint) return active.tracing;
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  const tracing: Tracing = {
    tracer: provider.getTracer(tracerName),
    queue: new BullMQOtel({ tracerName }),
    flush: () => provider.forceFlush(),
  };
  active = { endpoint, tracing };
  return tracing;
}

/** Span attributes with every string value passed through the redactor (no secret leaves in a trace). */
export function redactedAttributes(attributes: Attributes, redact?: Redactor): Attributes {
  if (!redact) return attributes;
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === "string") result[key] = redact(value);
    else if (Array.isArray(value))
      result[key] = value.map((item) => (typeof item === "string" ? redact(item) : item)) as string[];
    else result[key] = value;
  }
  return result;
}

/**
 * Runs `work` in a new active span (a child of the current one), ending it afterwards; a thrown error
 * marks the span as failed with its (redacted) message.
 */
export async function inSpan<Result>(
  tracer: Tracer | undefined,
  name: string,
  attributes: Attributes,
  redact: Redactor | undefined,
  work: (span: Span | undefined) => Promise<Result>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<Result> {
  if (!tracer) return work(undefined);
  return tracer.startActiveSpan(
    name,
    { kind, attributes: redactedAttributes(attributes, redact) },
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        const message = errorMessage(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: redact ? redact(message) : message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
