package dev.radiograph.awssdk;

import dev.radiograph.aws.AwsOutcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;

/** Reads an {@link AwsOutcome} and resource fields from what the SDK hands its interceptors. */
final class AwsCallOutcomes {
  /** The request id headers, in the order services use them (JSON and Query services, then S3). */
  private static final List<String> REQUEST_ID_HEADERS =
      List.of("x-amzn-RequestId", "x-amz-request-id", "x-amzn-request-id");
  private static final String EXTENDED_REQUEST_ID_HEADER = "x-amz-id-2";
  /** What {@code AwsResponseMetadata.requestId()} answers when the service sent none. */
  private static final String UNKNOWN_REQUEST_ID = "UNKNOWN";

  private AwsCallOutcomes() {}

  /** The outcome of a call the service answered with a response. */
  static AwsOutcome succeeded(SdkResponse response, SdkHttpResponse http, int attempts,
      List<AwsFieldTable.Field> responseFields) {
    AwsOutcome.Builder outcome = AwsOutcome.builder();
    String metadataRequestId = null;
    if (response instanceof AwsResponse) {
      AwsResponse aws = (AwsResponse) response;
      metadataRequestId = aws.responseMetadata() != null ? aws.responseMetadata().requestId() : null;
    }
    if (response != null) {
      copyFields(responseFields, name -> response.getValueForField(name, Object.class), outcome::resource);
    }
    return common(outcome, http, attempts, metadataRequestId, null).build();
  }

  /** The outcome of a call that ended with {@code thrown}, answered ({@code http}) or not. */
  static AwsOutcome failed(Throwable thrown, SdkHttpResponse http, int attempts) {
    Throwable failure = unwrap(thrown);
    AwsOutcome.Builder outcome = AwsOutcome.builder().failure(failure);
    String exceptionRequestId = null;
    if (failure instanceof SdkServiceException) {
      SdkServiceException service = (SdkServiceException) failure;
      exceptionRequestId = service.requestId();
      outcome.status(service.statusCode()).id2(service.extendedRequestId());
    }
    if (failure instanceof AwsServiceException && ((AwsServiceException) failure).awsErrorDetails() != null) {
      outcome.errorCode(((AwsServiceException) failure).awsErrorDetails().errorCode());
    }
    return common(outcome, http, attempts, null, exceptionRequestId).build();
  }

  /**
   * The parts both outcomes read from the HTTP answer. The request id: the response metadata's,
   * then the headers', then the exception's.
   */
  private static AwsOutcome.Builder common(AwsOutcome.Builder outcome, SdkHttpResponse http, int attempts,
      String metadataRequestId, String exceptionRequestId) {
    if (attempts > 0) {
      outcome.retries(attempts - 1);
    }
    String headerRequestId = null;
    if (http != null) {
      outcome.status(http.statusCode());
      http.firstMatchingHeader("Content-Length").ifPresent(length -> outcome.contentLength(parseLength(length)));
      headerRequestId = http.firstMatchingHeader(REQUEST_ID_HEADERS).orElse(null);
      http.firstMatchingHeader(EXTENDED_REQUEST_ID_HEADER).ifPresent(outcome::id2);
    }
    outcome.requestId(firstKnown(metadataRequestId, headerRequestId, exceptionRequestId));
    return outcome;
  }

  /**
   * Copies each of {@code fields} that {@code read} finds to {@code sink}: a map gives its keys
   * (a batch's table names), anything else goes as it is, for core to keep only names and ids. A
   * dotted member path ({@code Entries.EventBusName}) reads the first member with {@code read}
   * and the rest inside it, through lists: the distinct values found, one as itself, several as a
   * list (the bus names of a {@code PutEvents} batch).
   */
  static void copyFields(List<AwsFieldTable.Field> fields, Function<String, Optional<?>> read,
      BiConsumer<String, Object> sink) {
    for (AwsFieldTable.Field field : fields) {
      String path = field.sdkField();
      int dot = path.indexOf('.');
      Optional<?> value = read.apply(dot < 0 ? path : path.substring(0, dot));
      if (value.isEmpty()) {
        continue;
      }
      Object found = value.get();
      if (dot >= 0) {
        Set<Object> nested = new LinkedHashSet<>();
        collect(found, path.substring(dot + 1), nested);
        if (nested.isEmpty()) {
          continue;
        }
        found = nested.size() == 1 ? nested.iterator().next() : List.copyOf(nested);
      }
      if (found instanceof Map) {
        List<String> keys = new ArrayList<>();
        for (Object key : ((Map<?, ?>) found).keySet()) {
          keys.add(String.valueOf(key));
        }
        found = keys;
      }
      sink.accept(field.awsKey(), found);
    }
  }

  /** Adds the values at {@code path} inside {@code value} (a model object, or a list of them) to {@code into}. */
  private static void collect(Object value, String path, Set<Object> into) {
    if (value instanceof List) {
      for (Object element : (List<?>) value) {
        collect(element, path, into);
      }
      return;
    }
    if (!(value instanceof SdkPojo)) {
      return;
    }
    int dot = path.indexOf('.');
    String member = dot < 0 ? path : path.substring(0, dot);
    for (SdkField<?> field : ((SdkPojo) value).sdkFields()) {
      if (member.equals(field.memberName())) {
        Object inner = field.getValueOrDefault(value);
        if (inner == null) {
          return;
        }
        if (dot < 0) {
          if (inner instanceof List) {
            into.addAll((List<?>) inner);
          } else {
            into.add(inner);
          }
        } else {
          collect(inner, path.substring(dot + 1), into);
        }
        return;
      }
    }
  }

  private static String firstKnown(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isEmpty() && !UNKNOWN_REQUEST_ID.equals(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static long parseLength(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return AwsOutcome.UNKNOWN;
    }
  }

  private static Throwable unwrap(Throwable thrown) {
    Throwable t = thrown;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
