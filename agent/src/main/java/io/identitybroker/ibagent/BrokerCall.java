package io.identitybroker.ibagent;

import java.io.IOException;

/** One broker request from a one-shot command: prints its result, or the refusal, and gives the exit code. */
final class BrokerCall {
    /** The request; returns what to print. */
    interface Request {
        String call() throws IOException, BrokerException;
    }

    private BrokerCall() {
    }

    static int print(String what, String brokerUrl, Request request) {
        try {
            System.out.println(request.call());
            return ExitCodes.OK;
        } catch (BrokerException e) {
            System.err.println("ib-agent: " + what + " refused: " + e.getMessage());
            return ExitCodes.of(e);
        } catch (IOException e) {
            System.err.println("ib-agent: cannot reach the broker at " + brokerUrl + ": " + e);
            return ExitCodes.UNAVAILABLE;
        }
    }
}
