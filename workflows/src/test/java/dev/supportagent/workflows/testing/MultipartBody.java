package dev.supportagent.workflows.testing;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** A {@code multipart/form-data} body of files (all in parts named {@code file}) for HTTP tests. */
public final class MultipartBody {

  private final String boundary = "----support" + UUID.randomUUID().toString().replace("-", "");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public MultipartBody file(String name, byte[] content) {
    write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    out.writeBytes(content);
    write("\r\n");
    return this;
  }

  public MultipartBody field(String name, String value) {
    write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    return this;
  }

  public static MultipartBody files(Map<String, String> files) {
    MultipartBody body = new MultipartBody();
    files.forEach((name, text) -> body.file(name, text.getBytes(StandardCharsets.UTF_8)));
    return body;
  }

  public String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  public HttpRequest.BodyPublisher publisher() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.BodyPublishers.ofByteArray(copy.toByteArray());
  }

  private void write(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
