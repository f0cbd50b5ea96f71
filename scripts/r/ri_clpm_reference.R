# Reference values for cxresearch.linkage.ri_clpm (tests/test_ri_clpm.py).
#
# Data: tests/data/ri_clpm/panel.csv, a seeded synthetic panel (150 units x 4 periods) written
# once with cxresearch.simulate.linkage.simulate_ri_clpm_panel (see the test's docstring).
# Run:  Rscript scripts/r/ri_clpm_reference.R tests/data/ri_clpm/panel.csv
# Pinned with R 4.2.2, lavaan 0.6.14 (Debian r-cran-lavaan).
#
# Model A: the RI-CLPM of Hamaker, Kuiper & Grasman (2015) for x and y, lagged paths equal
#   over time, innovation (co)variances free in each period, observed residuals fixed at 0.
# Model B: the same with x's observed residual variance fixed, in each period, at the mean of
#   ev_x (known measurement error), and a same-period within path x(t) -> y(t) for t >= 2
#   (no innovation covariance between x and y then).
suppressMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(if (length(args)) args[1] else "tests/data/ri_clpm/panel.csv")
periods <- sort(unique(d$time))
n_t <- length(periods)
w <- reshape(d[, c("unit", "time", "x", "y")], idvar = "unit", timevar = "time",
             direction = "wide", sep = "_")
names(w) <- sub("^x_", "y0_", sub("^y_", "y1_", names(w)))
for (t in seq_along(periods)) {  # y0_<t-1>, y1_<t-1> in period order
  names(w)[names(w) == paste0("y0_", periods[t])] <- paste0("y0_", t - 1)
  names(w)[names(w) == paste0("y1_", periods[t])] <- paste0("y1_", t - 1)
}
ev <- tapply(d$ev_x, d$time, mean)[as.character(periods)]

ri_clpm <- function(error_x = NULL, contemporaneous = FALSE) {
  L <- c()
  for (j in 0:1) {
    L <- c(L, paste0("RI", j, " =~ ", paste0("1*y", j, "_", 0:(n_t - 1), collapse = " + ")))
    for (t in 0:(n_t - 1)) {
      e <- if (j == 0 && !is.null(error_x)) error_x[t + 1] else 0
      L <- c(L, sprintf("W%d_%d =~ 1*y%d_%d", j, t, j, t),
             sprintf("y%d_%d ~~ %.17g*y%d_%d", j, t, e, j, t))
    }
  }
  for (t in 1:(n_t - 1)) {
    L <- c(L, sprintf("W0_%d ~ b_0_0*W0_%d + b_1_0*W1_%d", t, t - 1, t - 1))
    rhs <- sprintf("b_0_1*W0_%d + b_1_1*W1_%d", t - 1, t - 1)
    if (contemporaneous) rhs <- paste0(rhs, sprintf(" + c_0_1*W0_%d", t))
    L <- c(L, sprintf("W1_%d ~ %s", t, rhs))
  }
  for (t in 0:(n_t - 1)) {
    L <- c(L, sprintf("W0_%d ~~ W0_%d", t, t), sprintf("W1_%d ~~ W1_%d", t, t))
    if (t == 0 || !contemporaneous) L <- c(L, sprintf("W0_%d ~~ W1_%d", t, t))
  }
  L <- c(L, "RI0 ~~ phi_0_0*RI0", "RI0 ~~ phi_0_1*RI1", "RI1 ~~ phi_1_1*RI1",
         "RI0 ~~ 0*W0_0", "RI0 ~~ 0*W1_0", "RI1 ~~ 0*W0_0", "RI1 ~~ 0*W1_0",
         "r_ri := phi_0_1 / sqrt(phi_0_0 * phi_1_1)")
  lavaan(paste(L, collapse = "\n"), data = w, meanstructure = TRUE, int.ov.free = TRUE)
}

options(digits = 12)
for (spec in list(list("A", NULL, FALSE), list("B", ev, TRUE))) {
  f <- ri_clpm(spec[[2]], spec[[3]])
  p <- parameterEstimates(f)
  p <- p[p$label != "" & !duplicated(p$label), c("label", "est", "se")]
  cat("model", spec[[1]], "\n")
  write.csv(p, stdout(), row.names = FALSE)
  print(fitMeasures(f, c("chisq", "df", "cfi", "rmsea")))
}
cat(R.version.string, "lavaan", as.character(packageVersion("lavaan")), "\n")
