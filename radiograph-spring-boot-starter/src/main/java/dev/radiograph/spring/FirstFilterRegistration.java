package dev.radiograph.spring;

import dev.radiograph.servlet.RadiographFilter;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Registers the {@link RadiographFilter} first in the servlet filter chain: before Spring
 * Security (order -100) and every other filter, including other filters at
 * {@link Ordered#HIGHEST_PRECEDENCE}, so that their time and their rejections (a 401, a 403) are
 * inside the request's segment: the "middleware first" rule.
 *
 * <p>RATIONALE: an order value alone cannot be first, since others may use the same lowest value;
 * Spring sorts {@link PriorityOrdered} registrations before all others whatever their value.
 */
final class FirstFilterRegistration extends FilterRegistrationBean<RadiographFilter> implements PriorityOrdered {
  FirstFilterRegistration(RadiographFilter filter) {
    super(filter);
    setName("radiographFilter");
    setOrder(Ordered.HIGHEST_PRECEDENCE);
    setAsyncSupported(true);
    // ASYNC: an async request's later dispatches run inside its segment. ERROR: an error page
    // rendered while the segment is open belongs to it.
    setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
  }
}
