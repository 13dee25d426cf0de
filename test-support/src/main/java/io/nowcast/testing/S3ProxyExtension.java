package io.nowcast.testing;

import java.net.URI;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real S3-compatible server (S3Proxy, in-process) on 127.0.0.1 for the tests of one class, with one empty
 * bucket, requiring AWS signatures. The backend is jclouds' {@code transient} (in-memory) store: it has no
 * directory-marker problem (DESIGN §12: with the filesystem backend, S3A writes hang unless
 * {@code fs.s3a.directory.marker.retention=keep}) and leaves nothing on disk.
 *
 * <p>Credentials reach S3A the way they do in production, through the AWS provider chain: the extension
 * makes a random key pair, puts it in the system properties {@code aws.accessKeyId}/{@code aws.secretKey}
 * (restored afterwards) and {@link Server#configure} names {@code SystemPropertiesCredentialsProvider} for the
 * bucket. No credential is ever written to a Hadoop configuration, a file or a log.
 *
 * <pre>{@code
 * @ExtendWith(S3ProxyExtension.class)
 * class MyS3Test {
 *   @Test void roundTrip(S3ProxyExtension.Server s3) {
 *     s3.configure(spark.sparkContext().hadoopConfiguration());
 *     String root = s3.uri("root");   // s3a://<bucket>/root
 *   }
 * }
 * }</pre>
 *
 * Needs {@code org.gaul:s3proxy} and {@code org.apache.hadoop:hadoop-aws} on the test classpath (both are
 * named in test scope by the module that uses this; test-support declares S3Proxy optional).
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(S3ProxyExtension.class);
  private static final String ACCESS_KEY_PROPERTY = "aws.accessKeyId";
  private static final String SECRET_KEY_PROPERTY = "aws.secretKey";

  /** The running server of a test class: its endpoint and bucket. */
  public static final class Server {
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final String bucket;
    private final Properties savedProperties = new Properties();

    private Server(S3Proxy proxy, BlobStoreContext context, String bucket) {
      this.proxy = proxy;
      this.context = context;
      this.bucket = bucket;
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI endpoint() {
      return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** The bucket's name (random, lower case, valid for S3). */
    public String bucket() {
      return bucket;
    }

    /** {@code s3a://<bucket>/<key>} */
    public String uri(String key) {
      return "s3a://" + bucket + "/" + (key.startsWith("/") ? key.substring(1) : key);
    }

    /**
     * Points S3A at this server for this bucket only (per-bucket keys {@code fs.s3a.bucket.<b>.*}, so other
     * S3 settings of a shared session are untouched): endpoint, path-style access, no TLS, a region, the
     * system-properties credentials provider, and directory markers kept.
     */
    public void configure(Configuration conf) {
      String prefix = "fs.s3a.bucket." + bucket + ".";
      conf.set(prefix + "endpoint", endpoint().toString());
      conf.set(prefix + "endpoint.region", "us-east-1");
      conf.set(prefix + "path.style.access", "true");
      conf.set(prefix + "connection.ssl.enabled", "false");
      conf.set(prefix + "aws.credentials.provider", "com.amazonaws.auth.SystemPropertiesCredentialsProvider");
      conf.set(prefix + "directory.marker.retention", "keep");
      // Fail fast instead of the S3A defaults' minutes of retries when something is wrong in a test.
      conf.set(prefix + "attempts.maximum", "2");
      conf.set(prefix + "retry.limit", "2");
      conf.set(prefix + "connection.establish.timeout", "5000");
    }

    private void setCredentialProperties(String accessKey, String secretKey) {
      save(ACCESS_KEY_PROPERTY);
      save(SECRET_KEY_PROPERTY);
      System.setProperty(ACCESS_KEY_PROPERTY, accessKey);
      System.setProperty(SECRET_KEY_PROPERTY, secretKey);
    }

    private void save(String key) {
      String old = System.getProperty(key);
      if (old != null) {
        savedProperties.setProperty(key, old);
      }
    }

    private void stop() throws Exception {
      try {
        proxy.stop();
      } finally {
        context.close();
        for (String key : new String[] {ACCESS_KEY_PROPERTY, SECRET_KEY_PROPERTY}) {
          String old = savedProperties.getProperty(key);
          if (old == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, old);
          }
        }
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String accessKey = "test-" + UUID.randomUUID().toString().substring(0, 8);
    String secretKey = UUID.randomUUID().toString();
    BlobStoreContext blobs =
        ContextBuilder.newBuilder("transient")
            .credentials(accessKey, secretKey)
            .build(BlobStoreContext.class);
    String bucket = "nowcast-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    blobs.getBlobStore().createContainerInLocation(null, bucket);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        blobs.close();
        throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
      }
      Thread.sleep(10);
    }
    Server server = new Server(proxy, blobs, bucket);
    server.setCredentialProperties(accessKey, secretKey);
    context.getStore(NAMESPACE).put(Server.class, server);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Server server = context.getStore(NAMESPACE).remove(Server.class, Server.class);
    if (server != null) {
      server.stop();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Server.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get(Server.class, Server.class);
  }
}
