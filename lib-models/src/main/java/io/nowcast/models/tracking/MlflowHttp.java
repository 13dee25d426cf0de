package io.nowcast.models.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Plain HTTP to an MLflow server (the parts the Java client lacks or does through Python): JSON GETs,
 * byte downloads and file uploads. Turns transport failures into {@link TrackingUnavailableException}
 * and error answers into {@link MlflowRequestException} naming the URL and status.
 */
final class MlflowHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  // Generous: a model file of tens of MB through the proxy on a slow link.
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

  private final TrackingEndpoint endpoint;
  private final HttpClient client;

  MlflowHttp(TrackingEndpoint endpoint) {
    this.endpoint = endpoint;
    // HTTP/1.1 explicitly: gunicorn speaks only 1.1, so the default's h2c upgrade attempt is wasted.
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  TrackingEndpoint endpoint() {
    return endpoint;
  }

  /** GET {@code relative} (path and query, already encoded) and parse the JSON answer. */
  JsonNode getJson(String relative) {
    HttpRequest request = request(relative).GET().build();
    try (InputStream body = exchange(request).body()) {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the answer of GET " + request.uri(), e);
    }
  }

  /** POST {@code body} as JSON to {@code relative} and parse the JSON answer. */
  JsonNode postJson(String relative, JsonNode body) {
    return sendJson("POST", relative, body);
  }

  /** DELETE {@code relative} with a JSON body (MLflow's DELETE endpoints read their arguments from it). */
  JsonNode deleteJson(String relative, JsonNode body) {
    return sendJson("DELETE", relative, body);
  }

  private JsonNode sendJson(String method, String relative, JsonNode body) {
    HttpRequest request;
    try {
      request =
          request(relative)
              .header("Content-Type", "application/json")
              .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the body of " + method + " " + relative, e);
    }
    try (InputStream answer = exchange(request).body()) {
      byte[] bytes = answer.readAllBytes();
      return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the answer of " + method + " " + request.uri(), e);
    }
  }

  /** GET {@code relative} and return the body bytes. */
  byte[] getBytes(String relative) {
    HttpRequest request = request(relative).GET().build();
    try (InputStream body = exchange(request).body()) {
      return body.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the answer of GET " + request.uri(), e);
    }
  }

  /** GET {@code relative} streaming the body into {@code target} (replaced if present). */
  void download(String relative, Path target) {
    HttpRequest request = request(relative).GET().build();
    try (InputStream body = exchange(request).body()) {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("downloading " + request.uri() + " to " + target, e);
    }
  }

  /** PUT the bytes of {@code file} to {@code relative}, streaming from disk. */
  void putFile(String relative, Path file) {
    HttpRequest request;
    try {
      request =
          request(relative)
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofFile(file))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    try (InputStream body = exchange(request).body()) {
      // The proxy answers "{}"; only the status matters, but the body is drained so the
      // connection can be reused.
      body.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("reading the answer of PUT " + request.uri(), e);
    }
  }

  private HttpRequest.Builder request(String relative) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(endpoint.url(relative))).timeout(REQUEST_TIMEOUT);
    endpoint.authorization().ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }

  /** Sends, returning the open body on 2xx; otherwise reads the error body and throws. */
  private HttpResponse<InputStream> exchange(HttpRequest request) {
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingUnavailableException("interrupted while calling " + request.uri(), e);
    } catch (IOException e) {
      throw transportFailure(request, e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response;
    }
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      body = "";
    }
    throw errorAnswer(request.method(), request.uri().toString(), status, body);
  }

  private RuntimeException transportFailure(HttpRequest request, IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return new TrackingUnavailableException(endpoint.notReachableMessage(), e);
      }
    }
    if (e instanceof HttpTimeoutException) {
      return new TrackingUnavailableException(
          "MLflow server at " + endpoint.uri() + " did not answer " + request.method() + " "
              + request.uri() + " in time",
          e);
    }
    return new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e, e);
  }

  /**
   * Builds the exception for an error answer. MLflow answers {@code {"error_code": ..., "message": ...}};
   * other servers (a proxy in front) answer HTML, of which a short prefix is kept.
   */
  static MlflowRequestException errorAnswer(String method, String url, int status, String body) {
    String errorCode = "";
    String detail = body == null ? "" : body.strip();
    try {
      JsonNode json = JSON.readTree(detail);
      if (json != null && json.isObject()) {
        errorCode = json.path("error_code").asText("");
        detail = json.path("message").asText(detail);
      }
    } catch (IOException notJson) {
      // keep the raw text
    }
    detail = detail.replaceAll("\\s+", " ");
    if (detail.length() > 500) {
      detail = detail.substring(0, 500) + "...";
    }
    return new MlflowRequestException(method, url, status, errorCode, detail);
  }

  /** Percent-encodes each segment of a '/'-separated relative path (spaces, '#', '%' ...). */
  static String encodePath(String relativePath) {
    return Arrays.stream(relativePath.split("/", -1))
        .map(MlflowHttp::encode)
        .collect(Collectors.joining("/"));
  }

  /** Percent-encodes one path segment or query value. */
  static String encode(String value) {
    // URLEncoder does form encoding; "%20" instead of "+" is right in both paths and queries.
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
