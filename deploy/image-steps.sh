#!/bin/sh
# The install steps of deploy/Dockerfile, run in a folder instead of an image, so a test
# can check them on a machine without a Docker engine. Keep the two in step: the test
# fails when an npm command of the Dockerfile is missing here.
#
#   deploy/image-steps.sh SOURCE_DIR WORK_DIR
#
# Afterwards WORK_DIR/global/bin/kbench is the image's entry point and WORK_DIR/kbench
# its working folder (results in WORK_DIR/kbench/results).
set -eu
src=$(cd "$1" && pwd)
work=$2
mkdir -p "$work"
work=$(cd "$work" && pwd)

# Stage 1 (build): WORKDIR /src, COPY the sources, compile, pack.
mkdir -p "$work/src" "$work/pkg"
cp "$src/package.json" "$src/package-lock.json" "$work/src/"
cd "$work/src"
npm ci --no-audit --no-fund --ignore-scripts --prefer-offline
cp "$src/tsconfig.json" "$work/src/"
cp -R "$src/bin" "$src/src" "$src/scenarios" "$work/src/"
cp "$src/README.md" "$src/LICENSE" "$work/src/"
cp -R "$src/docs" "$work/src/"
npm run build
npm pack --ignore-scripts --pack-destination "$work/pkg"

# Stage 2 (runtime): install the tarball globally (here: into a prefix), a working folder.
cd "$work"
npm install --global --no-audit --no-fund --prefer-offline --prefix "$work/global" "$work"/pkg/kbench-*.tgz
mkdir -p "$work/kbench/results"
