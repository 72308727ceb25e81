// POST a SPARQL query with Java's own HTTP client (java.net.http), as Jena and other Java
// tools do: on plain HTTP it offers an upgrade to HTTP/2 ("Upgrade: h2c") with every request.
// Usage: java PostQuery.java URL CONTENT_TYPE BODY_FILE ACCEPT
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

public class PostQuery {
    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newHttpClient();  // HTTP/2 preferred: h2c is offered
        for (int i = 0; i < 2; i++) {  // twice: the second request reuses the connection
            HttpRequest request = HttpRequest.newBuilder(URI.create(args[0]))
                .header("Content-Type", args[1])
                .header("Accept", args[3])
                .POST(HttpRequest.BodyPublishers.ofFile(Path.of(args[2])))
                .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            System.out.println(response.statusCode());
            System.out.println(response.body());
        }
    }
}
