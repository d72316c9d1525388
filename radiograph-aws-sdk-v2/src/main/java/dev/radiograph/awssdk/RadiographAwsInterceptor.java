package dev.radiograph.awssdk;

import dev.radiograph.CallSites;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.aws.AwsCallTracing;
import dev.radiograph.aws.AwsOperation;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.ClientType;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;

/**
 * Records every call of an AWS SDK for Java v2 client, sync or async, as an X-Ray subsegment in
 * the {@code aws} namespace, named after the service as the AWS X-Ray SDK names it
 * ({@code DynamoDb}, {@code S3}, {@code Sqs}, {@code Sns}, {@code Lambda}), with the {@code aws}
 * block (operation, region, request ids, retries, the resource fields of
 * {@code dev/radiograph/awssdk/aws-fields.properties}), the {@code http} status and the AWS
 * status mapping of {@link AwsCallTracing}. Each HTTP request carries {@code X-Amzn-Trace-Id};
 * SQS {@code SendMessage} and {@code SendMessageBatch} also carry the {@code AWSTraceHeader}
 * message system attribute unless the caller set one.
 *
 * <p>Having this module on the class path is enough: the SDK finds this interceptor through its
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} resource and adds it to
 * every client, recording with {@link Radiograph#recorder()}; the setting
 * {@code aws-sdk-global-interceptor=false} turns that off. To record with a recorder of your
 * own, add it to a client explicitly; a client that has both is recorded once, by the explicit
 * one:
 *
 * <pre>{@code
 * DynamoDbClient dynamo = DynamoDbClient.builder()
 *     .overrideConfiguration(o -> o.addExecutionInterceptor(new RadiographAwsInterceptor(recorder)))
 *     .build();
 * }</pre>
 *
 * <p>An async client's subsegment belongs to the entity current when the call was made, and
 * that entity stays current on the calling thread. Calls to X-Ray itself are never traced.
 * Tracing never fails a call, with one exception the user chooses: under
 * {@code context-missing=RUNTIME_ERROR}, a call made outside any segment fails with the
 * recorder's {@link SegmentNotFoundException} (the SDK may wrap it in an
 * {@code SdkClientException}), before anything is sent.
 */
public final class RadiographAwsInterceptor implements ExecutionInterceptor {
  static {
    CallSites.registerPassThrough(RadiographAwsInterceptor.class, AwsCallOutcomes.class, SqsTraceHeaderAttribute.class);
    // The SDK's client and interceptor chain stand between the application's call and this one.
    CallSites.registerPassThroughPackage("software.amazon.awssdk.");
  }

  /** The SDK's name for X-Ray's own API, whose calls (sampling, forwarding) are never traced. */
  static final String XRAY_SERVICE = "XRay";

  /** Set by an explicitly added interceptor, so that the global one leaves the call to it. */
  private static final ExecutionAttribute<Boolean> EXPLICIT_INTERCEPTOR =
      new ExecutionAttribute<>("dev.radiograph.awssdk.ExplicitInterceptor");
  private static final ExecutionAttribute<TracedExecution> TRACED_EXECUTION =
      new ExecutionAttribute<>("dev.radiograph.awssdk.TracedExecution");

  private static final System.Logger LOG = System.getLogger(RadiographAwsInterceptor.class.getName());

  private final Supplier<Recorder> recorder;
  private final boolean global;

  /**
   * The interceptor the SDK adds to every client (from the global resource): records with
   * {@link Radiograph#recorder()}, unless its setting {@code aws-sdk-global-interceptor} is
   * false. Applications add {@link #RadiographAwsInterceptor(Recorder)} instead.
   */
  public RadiographAwsInterceptor() {
    this(Radiograph::recorder, true);
  }

  /** An interceptor recording with {@code recorder}, to add to a client explicitly. */
  public RadiographAwsInterceptor(Recorder recorder) {
    this(supplierOf(Objects.requireNonNull(recorder, "recorder")), false);
  }

  RadiographAwsInterceptor(Supplier<Recorder> recorder, boolean global) {
    this.recorder = recorder;
    this.global = global;
  }

  private static Supplier<Recorder> supplierOf(Recorder recorder) {
    return () -> recorder;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (!global) {
      attributes.putAttribute(EXPLICIT_INTERCEPTOR, Boolean.TRUE);
    }
  }

  /**
   * Begins the call here rather than in {@code beforeExecution}: by now every interceptor's
   * {@code beforeExecution} has run, so the global one knows whether an explicit one follows;
   * and this still runs on the calling thread, sync or async, where the caller's entity is
   * current.
   */
  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    try {
      if (attributes.getAttribute(TRACED_EXECUTION) != null
          || (global && attributes.getAttribute(EXPLICIT_INTERCEPTOR) != null)) {
        return request;
      }
      String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
      String operationName = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      if (service == null || operationName == null || XRAY_SERVICE.equals(service)) {
        return request;
      }
      Recorder rec = recorder.get();
      if (global && !rec.config().awsSdkGlobalInterceptor()) {
        return request;
      }
      AwsFieldTable.Fields callFields = AwsFieldTable.forFile(rec.config().awsFields()).fields(service, operationName);
      AwsOperation.Builder operation = AwsOperation.builder(service, operationName)
          .region(regionOf(attributes));
      AwsCallOutcomes.copyFields(callFields.request(), name -> request.getValueForField(name, Object.class),
          operation::resource);
      AwsCallTracing.Call call = attributes.getAttribute(SdkExecutionAttribute.CLIENT_TYPE) == ClientType.ASYNC
          ? AwsCallTracing.beginAsync(rec, operation.build())
          : AwsCallTracing.begin(rec, operation.build());
      TracedExecution traced = new TracedExecution(this, call, callFields);
      attributes.putAttribute(TRACED_EXECUTION, traced);
      return traced.traceHeader() != null
          ? SqsTraceHeaderAttribute.addTo(service, operationName, request, traced.traceHeader())
          : request;
    } catch (SegmentNotFoundException e) {
      throw e; // context-missing=RUNTIME_ERROR: the user asked for it
    } catch (RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "Radiograph: could not trace an AWS call; it runs untraced", e);
      return request;
    }
  }

  /**
   * Writes {@code X-Amzn-Trace-Id}. The SDK finalizes the HTTP request once per execution and
   * sends that request on every attempt, so each retry carries the header too.
   */
  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    SdkHttpRequest httpRequest = context.httpRequest();
    TracedExecution traced = ownExecution(attributes);
    if (traced == null || traced.traceHeader() == null) {
      return httpRequest;
    }
    try {
      return httpRequest.toBuilder().putHeader(dev.radiograph.TraceHeader.HEADER_NAME, traced.traceHeader()).build();
    } catch (RuntimeException e) {
      return httpRequest;
    }
  }

  /** Counts attempts: called once before each one is sent. */
  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    TracedExecution traced = ownExecution(attributes);
    if (traced != null) {
      traced.attemptStarted();
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    TracedExecution traced = ownExecution(attributes);
    if (traced != null) {
      traced.end(() -> AwsCallOutcomes.succeeded(context.response(), context.httpResponse(),
          traced.attempts(), traced.fields().response()));
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    TracedExecution traced = ownExecution(attributes);
    if (traced != null) {
      traced.end(() -> AwsCallOutcomes.failed(context.exception(), context.httpResponse().orElse(null),
          traced.attempts()));
    }
  }

  private TracedExecution ownExecution(ExecutionAttributes attributes) {
    TracedExecution traced = attributes.getAttribute(TRACED_EXECUTION);
    return traced != null && traced.owner() == this ? traced : null;
  }

  private static String regionOf(ExecutionAttributes attributes) {
    Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
    return region != null ? region.id() : null;
  }
}
