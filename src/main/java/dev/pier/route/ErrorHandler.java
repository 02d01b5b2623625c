package dev.pier.route;

/** Turns an exception of a route into a response, as Spring's {@code @ExceptionHandler} or Javalin's {@code app.exception}. */
@FunctionalInterface
public interface ErrorHandler<E extends Throwable> {

    Response handle(E error, RouteRequest request) throws Exception;
}
