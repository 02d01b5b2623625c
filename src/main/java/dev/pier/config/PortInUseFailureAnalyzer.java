package dev.pier.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a busy port into one sentence and a fix, instead of a stack trace. */
class PortInUseFailureAnalyzer extends AbstractFailureAnalyzer<PortInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PortInUseException cause) {
        return new FailureAnalysis("Pier could not listen on port " + cause.port() + ": it is already in use.",
                "Stop the process listening on port " + cause.port() + ", or set " + cause.property() + " to another port (0 picks a free one).",
                cause);
    }
}
