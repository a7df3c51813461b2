package dev.supportagent.activities.model.gateway;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK HTTP client under langchain4j's, wrapped so that the gateway sees what langchain4j hides:
 * the status and headers of a failed response (langchain4j's {@code HttpException} keeps only the
 * status and body, so {@code Retry-After} is lost), and a way to abort a stream that stopped
 * sending (langchain4j's cancel only takes effect when the next event arrives).
 *
 * <p>The gateway sets {@link #OBSERVATION} on its own thread around {@code StreamingChatModel.chat},
 * during which langchain4j's {@code JdkHttpClient} calls {@link #sendAsync} on that same thread.
 * Requests made without an observation pass through untouched.
 */
final class ObservedHttpClient extends HttpClient {

  static final ThreadLocal<Observation> OBSERVATION = new ThreadLocal<>();

  /** What one request's response looked like, and how to abort it. */
  static final class Observation {
    private volatile int status;
    private volatile HttpHeaders headers;
    private volatile CompletableFuture<?> exchange;
    private volatile Flow.Subscription subscription;
    private volatile Flow.Subscriber<?> subscriber;
    private volatile boolean aborted;

    int status() {
      return status;
    }

    HttpHeaders headers() {
      return headers;
    }

    /**
     * Stops the request: cancels the exchange before a response arrived, or else cancels the body
     * and fails it, which wakes langchain4j's reader blocked on the stream so its thread ends.
     */
    void abort() {
      aborted = true;
      CompletableFuture<?> f = exchange;
      if (f != null) {
        f.cancel(true);
      }
      Flow.Subscription s = subscription;
      Flow.Subscriber<?> sub = subscriber;
      if (s != null) {
        s.cancel();
      }
      if (sub != null) {
        sub.onError(new IOException("aborted by the model gateway"));
      }
    }
  }

  private final HttpClient delegate;

  ObservedHttpClient(HttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    Observation o = OBSERVATION.get();
    if (o == null) {
      return delegate.sendAsync(request, handler);
    }
    HttpResponse.BodyHandler<T> observed =
        info -> {
          o.status = info.statusCode();
          o.headers = info.headers();
          return new ObservedSubscriber<>(handler.apply(info), o);
        };
    CompletableFuture<HttpResponse<T>> f = delegate.sendAsync(request, observed);
    o.exchange = f;
    if (o.aborted) {
      f.cancel(true);
    }
    return f;
  }

  /** Passes the body through, remembering its subscription so that it can be aborted. */
  private static final class ObservedSubscriber<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> inner;
    private final Observation observation;

    ObservedSubscriber(HttpResponse.BodySubscriber<T> inner, Observation observation) {
      this.inner = inner;
      this.observation = observation;
    }

    @Override
    public CompletionStage<T> getBody() {
      return inner.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      observation.subscription = subscription;
      observation.subscriber = inner;
      inner.onSubscribe(subscription);
      if (observation.aborted) {
        observation.abort();
      }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      inner.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      inner.onError(throwable);
    }

    @Override
    public void onComplete() {
      inner.onComplete();
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return delegate.sendAsync(request, handler, pushPromiseHandler);
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return delegate.send(request, handler);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  /**
   * The builder handed to langchain4j's {@code JdkHttpClientBuilder}: it sets the timeouts through
   * it, and its {@link #build()} returns the wrapped client.
   */
  static final class Builder implements HttpClient.Builder {
    private final HttpClient.Builder delegate;

    /**
     * HTTP/1.1: over plain http the JDK client's default HTTP/2 first sends an h2c upgrade, which
     * vLLM, Ollama and llama.cpp servers (uvicorn and others) refuse or answer by dropping the body.
     */
    Builder() {
      this.delegate = HttpClient.newBuilder().version(Version.HTTP_1_1);
    }

    @Override
    public Builder cookieHandler(CookieHandler cookieHandler) {
      delegate.cookieHandler(cookieHandler);
      return this;
    }

    @Override
    public Builder connectTimeout(Duration duration) {
      delegate.connectTimeout(duration);
      return this;
    }

    @Override
    public Builder sslContext(SSLContext sslContext) {
      delegate.sslContext(sslContext);
      return this;
    }

    @Override
    public Builder sslParameters(SSLParameters sslParameters) {
      delegate.sslParameters(sslParameters);
      return this;
    }

    @Override
    public Builder executor(Executor executor) {
      delegate.executor(executor);
      return this;
    }

    @Override
    public Builder followRedirects(Redirect policy) {
      delegate.followRedirects(policy);
      return this;
    }

    @Override
    public Builder version(Version version) {
      delegate.version(version);
      return this;
    }

    @Override
    public Builder priority(int priority) {
      delegate.priority(priority);
      return this;
    }

    @Override
    public Builder proxy(ProxySelector proxySelector) {
      delegate.proxy(proxySelector);
      return this;
    }

    @Override
    public Builder authenticator(Authenticator authenticator) {
      delegate.authenticator(authenticator);
      return this;
    }

    @Override
    public HttpClient build() {
      return new ObservedHttpClient(delegate.build());
    }
  }
}
