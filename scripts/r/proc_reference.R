# Reference values for cxresearch.measurement.validity (roc_auc, compare_auc), from R's pROC package.
#
# Run from the repository root (under a second):
#     Rscript scripts/r/proc_reference.R
# It (1) simulates a small seeded data set with a binary outcome and three scores of the kinds
# the notebooks use, and writes it to tests/data/validity/auc_data.csv:
#     y          0/1 outcome (about 30% positives), n = 300
#     continuous a continuous score rounded to 1 decimal (some ties)
#     answer     a 0-10 answer (heavy ties, like a likelihood-to-recommend question)
#     category   the NPS category of that answer: -1 detractor (0-6), 0 passive, 1 promoter
# then (2) reads that CSV back (so R and Python use the very same numbers) and writes to
# tests/data/validity/proc_values.csv, with 17 significant digits:
#     auc(roc), var(roc, method = "delong"), ci.auc(roc, method = "delong") for each score;
#     roc.test(roc1, roc2, method = "delong", paired = TRUE): Z, p-value, conf.int of the
#     difference, and cov(roc1, roc2, method = "delong") for two pairs of scores.
# Every ROC curve is built with levels = c(0, 1) and direction = "<" (a higher score means a
# positive is more likely), as in scikit-learn and cxresearch.measurement.validity.
# tests/test_validity.py pins these values (the test does not need R).
suppressPackageStartupMessages(library(pROC))

out_dir <- file.path("tests", "data", "validity")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# ---- 1. simulate ------------------------------------------------------------------------
set.seed(20240613)
n <- 300
latent <- rnorm(n)
y <- rbinom(n, 1, plogis(qlogis(0.3) + 1.0 * latent))
continuous <- round(latent + rnorm(n, 0, 1.2), 1)
answer <- pmin(10, pmax(0, round(7.5 + 2 * (0.7 * latent + sqrt(1 - 0.49) * rnorm(n)))))
category <- ifelse(answer >= 9, 1L, ifelse(answer <= 6, -1L, 0L))
write.csv(data.frame(y = y, continuous = continuous, answer = answer, category = category),
          file.path(out_dir, "auc_data.csv"), row.names = FALSE)

# ---- 2. reference values ----------------------------------------------------------------
d <- read.csv(file.path(out_dir, "auc_data.csv"))
curve <- function(score) roc(d$y, d[[score]], levels = c(0, 1), direction = "<", quiet = TRUE)
rows <- list()
for (s in c("continuous", "answer", "category")) {
  r <- curve(s)
  ci <- ci.auc(r, method = "delong", conf.level = 0.95)
  rows[[length(rows) + 1]] <- data.frame(
    kind = "auc", score_a = s, score_b = "", estimate = as.numeric(auc(r)),
    variance = var(r, method = "delong"), ci_low = ci[1], ci_high = ci[3],
    statistic = NA, p_value = NA)
}
for (pair in list(c("continuous", "answer"), c("answer", "category"))) {
  r1 <- curve(pair[1])
  r2 <- curve(pair[2])
  t <- roc.test(r1, r2, method = "delong", paired = TRUE, conf.level = 0.95)
  rows[[length(rows) + 1]] <- data.frame(
    kind = "paired", score_a = pair[1], score_b = pair[2],
    estimate = as.numeric(t$estimate[1] - t$estimate[2]),
    variance = cov(r1, r2, method = "delong"),  # covariance of the two AUCs
    ci_low = t$conf.int[1], ci_high = t$conf.int[2],
    statistic = as.numeric(t$statistic), p_value = t$p.value)
}
out <- do.call(rbind, rows)
out$r_version <- paste(R.version$major, R.version$minor, sep = ".")
out$proc_version <- as.character(packageVersion("pROC"))
num <- vapply(out, is.numeric, logical(1))
out[num] <- lapply(out[num], function(x) ifelse(is.na(x), NA, sprintf("%.17g", x)))
write.csv(out, file.path(out_dir, "proc_values.csv"), row.names = FALSE, na = "")
print(out[, c("kind", "score_a", "score_b", "estimate", "statistic", "p_value")])
