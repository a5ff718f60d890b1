package loadgen;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;



/** Sends one request and returns its complete answer; one per worker thread, so it need not be thread-safe. */
interface Sender {
    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException;
}
