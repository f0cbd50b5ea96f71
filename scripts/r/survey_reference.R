# Reference values for cxresearch.metrics.scores' cluster-aware intervals, from R's survey package.
#
# Run from the repository root (about 2 seconds):
#     Rscript scripts/r/survey_reference.R
# It (1) simulates a small clustered survey with a fixed seed and writes it to
#     tests/data/r_survey_reference/answers.csv
# (60 firms = clusters, ~3,000 answers, survey weights, two answer-level segments that cross the
# firms, a firm-level group nested in the firms, ICC > 0, a few missing CES answers), then
# (2) reads that CSV back (so R and Python use the very same numbers) and writes the design-based
# estimates to tests/data/r_survey_reference/r_values.csv; tests/test_metrics.py pins them.
#
# Design: with-replacement ("ultimate cluster") one-stage cluster sample, no strata, no fpc:
#     svydesign(ids = ~cluster, data = d)                 # unweighted
#     svydesign(ids = ~cluster, weights = ~w, data = d)   # weighted (ratio means)
# Means: svymean(~y, valid, deff = "replace") with y = nps100 (100 promoter, -100 detractor,
# 0 passive), top2 (100 if CSAT >= 4) and ces (1..7), where valid = subset(design, !is.na(y))
# (the same as na.rm = TRUE; a subset keeps every cluster in the variance, as domain estimation
# requires, and works with svyby(covmat = TRUE), which fails with na.rm = TRUE). Intervals:
# estimate -/+ qt(0.975, df) * SE with df = degf(design) overall and degf(subset(design, ...))
# per domain (the clusters with answers in that domain, minus 1). Domains: svyby(~y, ~segment,
# design, svymean, covmat = TRUE), differences with svycontrast(by, c(1, -1)).
suppressPackageStartupMessages(library(survey))

out_dir <- file.path("tests", "data", "r_survey_reference")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# ---- 1. simulate ------------------------------------------------------------------------
set.seed(20240611)
n_firms <- 60
size <- 20L + rpois(n_firms, 30)                       # answers per firm, ~50
firm <- sprintf("f%02d", seq_len(n_firms))
u <- rnorm(n_firms, 0, 0.6)                            # firm effect: ICC > 0
web_share <- runif(n_firms, 0.2, 0.8)
web_share[c(7, 19, 33, 48, 56)] <- 0                   # five firms answer by phone only
owner <- ifelse(seq_len(n_firms) <= 30, "cx_lead", "none")  # nested in firms
cl <- rep(seq_len(n_firms), size)
n <- length(cl)
segment <- ifelse(runif(n) < web_share[cl], "web", "phone")
web <- segment == "web"
nps <- pmin(10, pmax(0, round(7 + 1.5 * u[cl] + 0.6 * web + rnorm(n, 0, 2))))
csat <- pmin(5, pmax(1, round(3.7 + 0.6 * u[cl] - 0.2 * web + rnorm(n, 0, 0.9))))
ces <- pmin(7, pmax(1, round(5 + 0.8 * u[cl] + rnorm(n, 0, 1.3))))
ces[runif(n) < 0.02] <- NA                             # a few missing answers
w <- round(exp(rnorm(n, 0, 0.4)) * ifelse(web, 1.5, 1), 4)
answers <- data.frame(cluster = firm[cl], owner = owner[cl], segment = segment,
                      nps = nps, csat = csat, ces = ces, w = w)
write.csv(answers, file.path(out_dir, "answers.csv"), row.names = FALSE, na = "")

# ---- 2. reference values from the CSV ------------------------------------------------------
d <- read.csv(file.path(out_dir, "answers.csv"))
d$nps100 <- 100 * (d$nps >= 9) - 100 * (d$nps <= 6)
d$top2 <- 100 * (d$csat >= 4)
designs <- list(
  unweighted = suppressWarnings(svydesign(ids = ~cluster, data = d)),
  weighted = svydesign(ids = ~cluster, weights = ~w, data = d)
)
rows <- list()
add <- function(design, metric, domain, est, se, df, deff) {
  q <- qt(0.975, df)
  rows[[length(rows) + 1]] <<- data.frame(
    design = design, metric = metric, domain = domain, estimate = est, se = se,
    ci_low = est - q * se, ci_high = est + q * se, df = df, deff = deff)
}
for (dn in names(designs)) {
  des <- designs[[dn]]
  for (y in c("nps100", "top2", "ces")) {
    f <- as.formula(paste0("~", y))
    valid <- subset(des, !is.na(des$variables[[y]]))
    m <- svymean(f, valid, deff = "replace")
    add(dn, y, "all", coef(m)[[1]], SE(m)[[1]], degf(valid), deff(m)[[1]])
    for (by in c("segment", "owner")) {
      b <- svyby(f, as.formula(paste0("~", by)), valid, svymean, deff = "replace",
                 covmat = TRUE)
      for (i in seq_len(nrow(b))) {
        lev <- rownames(b)[i]
        sub_des <- subset(valid, valid$variables[[by]] == lev)
        add(dn, y, paste0(by, "=", lev), coef(b)[[i]], SE(b)[[i]], degf(sub_des),
            b[[paste0("DEff.", y)]][i])
      }
      k <- svycontrast(b, setNames(c(1, -1), rownames(b)))
      add(dn, y, paste0(by, ":", rownames(b)[1], "-", rownames(b)[2]), coef(k)[[1]],
          SE(k)[[1]], NA, NA)
    }
  }
}
res <- do.call(rbind, rows)
res$r_version <- paste(R.version$major, R.version$minor, sep = ".")
res$survey_version <- as.character(packageVersion("survey"))
write.csv(res, file.path(out_dir, "r_values.csv"), row.names = FALSE)
options(digits = 15, width = 200)
print(res[, 1:9], row.names = FALSE)
cat(sprintf("\n%d answers in %d clusters; R %s, survey %s\n", nrow(d),
            length(unique(d$cluster)), res$r_version[1], res$survey_version[1]))
