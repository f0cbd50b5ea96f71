# Reference values for cxresearch.metrics.waves.compare_waves, from R's survey package.
#
# Run from the repository root after scripts/r/calibration_reference.R (about 2 seconds):
#     Rscript scripts/r/waves_reference.R
# It reads tests/data/calibration_reference/answers.csv and margins.csv (a seeded tracker: 40
# stores = clusters in 4 regions, answers in months 1..3, every store answering in every
# month, so the months share clusters and their estimates are correlated) and writes
#     tests/data/calibration_reference/wave_values.csv
# which tests/test_compare_waves.py pins.
#
# Designs: "weighted"  svydesign(ids = ~store, weights = ~w, data = d)
#          "srs"       svydesign(ids = ~1, weights = ~w, data = d)
#          "raked"     rake(weighted, list(~region, ~channel, ~age), <margins>,
#                           control = list(maxit = 1000, epsilon = 1e-14))
# Per design and segment (all answers, and each region as a domain: subset(design, region == r),
# which keeps every store in the variance):
#   fit <- svyglm(nps100 ~ factor(month), dz)       # changes: month 2 - 1 and 3 - 2
#   svycontrast(fit, c(0, 1, 0)), svycontrast(fit, c(0, -1, 1))
#   svyglm(nps100 ~ month, dz)                       # trend: the slope per month
# with nps100 = 100 (nps >= 9) - 100 (nps <= 6); the month means from svyby(~nps100, ~month).
suppressPackageStartupMessages(library(survey))

dir <- file.path("tests", "data", "calibration_reference")
d <- read.csv(file.path(dir, "answers.csv"))
mg <- read.csv(file.path(dir, "margins.csv"))
d$nps100 <- 100 * (d$nps >= 9) - 100 * (d$nps <= 6)
pop_margin <- function(name) {
  m <- mg[mg$margin == name, ]
  out <- data.frame(m$category, m$count)
  names(out) <- c(name, "Freq")
  out
}
des <- svydesign(ids = ~store, weights = ~w, data = d)
designs <- list(
  weighted = des,
  srs = svydesign(ids = ~1, weights = ~w, data = d),
  raked = rake(des, list(~region, ~channel, ~age),
               list(pop_margin("region"), pop_margin("channel"), pop_margin("age")),
               control = list(maxit = 1000, epsilon = 1e-14))
)
rows <- list()
add <- function(design, segment, contrast, est, se) {
  rows[[length(rows) + 1]] <<- data.frame(design = design, segment = segment,
                                          contrast = contrast, estimate = sprintf("%.17g", est),
                                          se = sprintf("%.17g", se))
}
for (dn in names(designs)) {
  for (seg in c("all", "north", "south", "east", "west")) {
    dz <- designs[[dn]]
    if (seg != "all") dz <- subset(dz, region == seg)
    m <- svyby(~nps100, ~month, dz, svymean)
    for (i in seq_len(nrow(m))) add(dn, seg, paste0("mean", rownames(m)[i]), coef(m)[[i]],
                                    SE(m)[[i]])
    fit <- svyglm(nps100 ~ factor(month), dz)
    for (k in list(list("2-1", c(0, 1, 0)), list("3-2", c(0, -1, 1)))) {
      ct <- svycontrast(fit, k[[2]])
      add(dn, seg, k[[1]], coef(ct)[[1]], SE(ct)[[1]])
    }
    tr <- svyglm(nps100 ~ month, dz)
    add(dn, seg, "trend", coef(tr)[["month"]], SE(tr)[["month"]])
  }
}
res <- do.call(rbind, rows)
res$r_version <- paste(R.version$major, R.version$minor, sep = ".")
res$survey_version <- as.character(packageVersion("survey"))
write.csv(res, file.path(dir, "wave_values.csv"), row.names = FALSE, quote = FALSE)
options(width = 200)
print(res[, 1:5], row.names = FALSE)
