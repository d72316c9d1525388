package dev.radiograph.demo;

import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.Subsegment;
import dev.radiograph.awssdk.RadiographAwsInterceptor;
import dev.radiograph.awssdk.SqsMessageTracing;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The demo's order queue: an SQS queue {@code order-events} on ElasticMQ (a real SQS server,
 * started in this JVM on a random loopback port), which {@code orders} publishes to after each
 * order, and the {@code order-worker} that consumes it and continues each order's trace from the
 * message's {@code AWSTraceHeader}. Both talk to the queue through the AWS SDK for Java v2, traced
 * by radiograph-aws-sdk-v2's interceptor, each with its service's recorder; the service map shows
 * {@code orders -> order-events (AWS::SQS::Queue) -> order-worker}.
 */
final class OrderEvents implements AutoCloseable {
  static final String QUEUE_NAME = "order-events";
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger("dev.radiograph.demo.order-worker"); // logback.xml

  private final SQSRestServer server;
  private final URI endpoint;
  private final String queueUrl;
  private final SqsClient publisher;
  private final SqsClient consumer;
  private final Recorder worker;
  private final Thread workerThread;
  private volatile boolean running = true;

  /**
   * Starts the queue and its worker. {@code publisherRecorder} records the publishing service's
   * calls; {@code workerRecorder} the worker's segments, and should not report calls made between
   * messages (its polls) as missing context: {@code context-missing=IGNORE_ERROR}.
   */
  OrderEvents(Recorder publisherRecorder, Recorder workerRecorder) {
    this.worker = workerRecorder;
    this.server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    try {
      this.endpoint = URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort());
      this.publisher = client(publisherRecorder);
      this.consumer = client(workerRecorder);
      // Created by the worker, as a consumer that owns its queue would; outside any segment.
      this.queueUrl = consumer.createQueue(b -> b.queueName(QUEUE_NAME)).queueUrl();
    } catch (RuntimeException e) {
      server.stopAndWait();
      throw e;
    }
    this.workerThread = new Thread(this::work, "radiograph-demo-order-worker");
    workerThread.setDaemon(true);
    workerThread.start();
  }

  private SqsClient client(Recorder recorder) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.addExecutionInterceptor(new RadiographAwsInterceptor(recorder)))
        .build();
  }

  /** Publishes one order; called while the order's request is traced, so it joins that trace. */
  void publish(String customer, String sku) {
    publisher.sendMessage(b -> b.queueUrl(queueUrl)
        .messageBody("order placed: sku=" + sku + " customer=" + customer));
  }

  /** The queue's URL. */
  String queueUrl() {
    return queueUrl;
  }

  private void work() {
    ReceiveMessageRequest receive = ReceiveMessageRequest.builder().queueUrl(queueUrl)
        .messageSystemAttributeNames(MessageSystemAttributeName.AWS_TRACE_HEADER)
        .maxNumberOfMessages(10)
        .waitTimeSeconds((int) POLL.toSeconds())
        .build();
    while (running) {
      List<Message> messages;
      try {
        messages = consumer.receiveMessage(receive).messages();
      } catch (RuntimeException e) {
        if (running) {
          DemoServices.pause(200, 200); // the queue is restarting or gone: try again shortly
        }
        continue;
      }
      for (Message message : messages) {
        handle(message);
      }
    }
  }

  private void handle(Message message) {
    try (Segment segment = SqsMessageTracing.beginSegment(worker, "order-worker", message.attributesAsStrings())) {
      segment.putAnnotation("queue", QUEUE_NAME);
      try {
        worker.trace("send-confirmation", (Subsegment sub) -> {
          sub.setNamespace(Subsegment.NAMESPACE_REMOTE);
          DemoServices.pause(2, 12);
          if (ThreadLocalRandom.current().nextInt(100) < 2) {
            throw new IllegalStateException("mail relay refused the confirmation");
          }
        });
      } catch (IllegalStateException e) {
        // Recorded on the subsegment; the order is placed, so the message is done with anyway.
      }
      consumer.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      LOG.info("{} <- {}", message.body(), QUEUE_NAME); // a line per message, with its trace ids
    } catch (RuntimeException e) {
      // The queue went away (the demo is stopping); the message comes back if it did not.
    }
  }

  @Override
  public void close() {
    running = false;
    workerThread.interrupt();
    try {
      workerThread.join(POLL.toMillis() * 3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publisher.close();
    consumer.close();
    server.stopAndWait();
  }
}
