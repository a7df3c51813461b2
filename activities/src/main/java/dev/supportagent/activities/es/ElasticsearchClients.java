package dev.supportagent.activities.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.net.URI;

/** Builds the one Elasticsearch client a process shares. */
public final class ElasticsearchClients {

  private ElasticsearchClients() {}

  /**
   * A client for {@code url} (for example {@code http://127.0.0.1:9200}). The low-level client
   * does not retry on its own: Temporal retries the activity, the only retry layer.
   */
  public static ElasticsearchClient create(String url) {
    Rest5Client rest = Rest5Client.builder(URI.create(url)).build();
    return new ElasticsearchClient(new Rest5ClientTransport(rest, new JacksonJsonpMapper()));
  }
}
