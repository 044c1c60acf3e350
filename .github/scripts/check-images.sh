#!/usr/bin/env bash
# CD-2 / CD-5: every image a deploy will run exists in this environment's own ECR, checked before
# anything is planned or applied (an image pushed to the other account only would fail at task start).
#
#   bash .github/scripts/check-images.sh <environment> <file of TF_VAR_image_tag_<service>=<tag> lines>
#
# Reads the repository of each service from .github/ci-environments.json and asks ECR
# (`aws ecr describe-images`). The AWS CLI's error code tells the cases apart, each with its own message:
#   ImageNotFoundException       the tag was never pushed to this account (or has expired)
#   RepositoryNotFoundException  the repository does not exist: the bootstrap stack is not applied
#   AccessDeniedException        the role may not read the repository: a permission problem, NOT a missing image
# Exit status: 0 when every image exists, 1 when any is missing or cannot be checked, 2 on a usage error.
set -euo pipefail

if [[ $# -ne 2 || ! -f "$2" ]]; then
  echo "usage: check-images.sh <environment> <file with TF_VAR_image_tag_<service>=<tag> lines>" >&2
  exit 2
fi
environment=$1
tags_file=$2
facts="${CI_ENVIRONMENTS_FILE:-.github/ci-environments.json}"

failed=0
checked=0
while IFS='=' read -r variable tag; do
  [[ "$variable" == TF_VAR_image_tag_* ]] || continue
  service=${variable#TF_VAR_image_tag_}
  service=${service//_/-}
  if ! repository=$(jq -er --arg env "$environment" --arg service "$service" '.environments[$env].repositories[$service]' "$facts"); then
    echo "::error::$service: no ECR repository for it in $facts (environment $environment); regenerate the file"
    failed=1
    continue
  fi
  checked=$((checked + 1))
  if output=$(aws ecr describe-images --repository-name "$repository" --image-ids "imageTag=$tag" --output json 2>&1); then
    echo "ok: $repository:$tag"
    continue
  fi
  failed=1
  # The CLI prints "An error occurred (<Code>) when calling the DescribeImages operation: <message>".
  code=$(sed -n 's/.*An error occurred (\([A-Za-z]*\)).*/\1/p' <<<"$output" | head -n 1)
  case "$code" in
    ImageNotFoundException)
      echo "::error::$repository:$tag is not in $environment's ECR (ImageNotFoundException): build and push it for $environment first (build-image.yml with environment: $environment)" ;;
    RepositoryNotFoundException)
      echo "::error::the ECR repository $repository does not exist in $environment's account (RepositoryNotFoundException): apply the bootstrap stack of $environment first" ;;
    AccessDeniedException)
      echo "::error::access denied reading $repository (AccessDeniedException): the role may not call ecr:DescribeImages on it, so whether $tag exists is UNKNOWN; fix the CI role's permissions, not the image. AWS said: ${output//$'\n'/ }" ;;
    *)
      echo "::error::could not check $repository:$tag (${code:-no AWS error code}): ${output//$'\n'/ }" ;;
  esac
done <"$tags_file"

if [[ $checked -eq 0 && $failed -eq 0 ]]; then
  echo "::error::no TF_VAR_image_tag_* line in $tags_file: nothing to check"
  exit 1
fi
exit "$failed"
